import type {ClientOptions, ConnectionStateName, SwitchboardMessage} from './index.js';

export declare function useSwitchboard<T = any>(options: ClientOptions, deps?: unknown[]):
  {state: ConnectionStateName; lastEvent: SwitchboardMessage<T> | null};
