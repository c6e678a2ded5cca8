"""The site registry: sites (tenants), their domains, provisioning and lifecycle actions."""
