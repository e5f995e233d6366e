// The React entry (`devrev-plug-session/react`): a provider and hooks over the
// browser entry's initPlug, with React (18 or 19) as an optional peer. Like the
// browser entry it holds nothing that could hold the AAT.

export { PlugProvider, type PlugProviderProps, type PlugState, useOnPlugEvent, usePlug } from "./plug-provider.js";
