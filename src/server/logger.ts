import pino, { type DestinationStream } from 'pino';

/**
 * The product's logger. Request bodies are never logged, and the fields below are redacted wherever they
 * appear, because much of the data is about minors.
 */
export function createLogger(level = 'info', destination?: DestinationStream) {
  return pino(
    {
      level,
      redact: {
        paths: [
          '*.nom',
          '*.prenom',
          '*.dateNaissance',
          '*.login',
          '*.casId',
          '*.password',
          '*.token',
          'req.headers.cookie',
          'req.headers.authorization',
        ],
        censor: '[masqué]',
      },
    },
    destination,
  );
}
