/** Injection token of the EngineConfig (read from the environment when the module is built). */
export const ENGINE_CONFIG = Symbol('ENGINE_CONFIG');
