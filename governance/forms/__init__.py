"""Forms of the governance pages. Each checks what was typed; the services check everything again."""
