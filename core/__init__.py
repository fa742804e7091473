"""The ground floor's tools: small modules every app may use and which import nothing of the project.

`net`: the client's address (lockouts, rate limits and the audit log see the same one).
See docs/architecture.md, "Layers"."""
