"""The shared cache (Redis) as an accelerator only: `backend.ResilientRedisCache` (docs/faults.md,
"Redis is down")."""
