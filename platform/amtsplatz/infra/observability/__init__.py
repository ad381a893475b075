"""Operations: readiness checks, structured logs with request id and schema, Prometheus metrics, Sentry."""
