"""The service (`rasad run`): scheduled crawls, alerts through an outbox, health checks."""
