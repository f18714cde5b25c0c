/** Injection tokens of the service kit. Strings, so they survive duplicate module copies. */

/** The service's name, e.g. "billing". */
export const SERVICE_NAME = 'aftersales:service-name';
/** The validated config object (the output of the service's schema). `@Inject(SERVICE_CONFIG)` or `@InjectConfig()`. */
export const SERVICE_CONFIG = 'aftersales:service-config';
/** The raw environment the config is read from; tests override it instead of mutating process.env. */
export const CONFIG_ENV = 'aftersales:config-env';
/** Where JSON log lines go (stdout); tests override it to capture them. */
export const LOG_DESTINATION = 'aftersales:log-destination';
