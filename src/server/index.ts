// The server entry (`devrev-plug-session/server`): everything that holds or uses the AAT.
export { createDevRevClient, type DevRevClient, type DevRevClientOptions } from "./client.js";
export { DEFAULTS } from "./defaults.js";
export {
  AbortedError,
  ApiError,
  type ApiErrorDetails,
  BadRequestError,
  ConfigurationError,
  ConflictError,
  DevRevError,
  ForbiddenError,
  IdentifyError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  type RateLimit,
  RateLimitedError,
  RequestEntityTooLargeError,
  ServerError,
  TimeoutError,
  UnauthenticatedError,
  ValidationError,
  type ValidationIssue,
} from "./errors.js";
export {
  createSessionTokenHandler,
  type SessionTokenHandlerOptions,
  type SessionTokenResponseBody,
} from "./handler.js";
export type { Logger, LogLevel, LogOptions } from "./logger.js";
export {
  createRedisTokenStore,
  type RedisClientLike,
  type RedisTokenStoreOptions,
} from "./redis-token-store.js";
export {
  type ByRevInfo,
  type BySubjectToken,
  createSessionToken,
  type SessionToken,
  type SessionTokenInput,
} from "./session-token.js";
export { createTokenCache, type TokenCache, type TokenCacheOptions } from "./token-cache.js";
export { type TokenCacheContext, type TokenStore, TokenStoreError } from "./token-store.js";
