/**
 * Structured logging. Nothing logged may carry a token: request headers are
 * never logged whole, and the redaction below is a second line of defence.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'token', '*.token', 'password', '*.password'],
      censor: '[redacted]',
    },
  });
}
