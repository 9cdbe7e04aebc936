-- The dispatcher console's run board lists a tenant's runs, newest first (GET /api/v1/runs?status=active).
CREATE INDEX runs_tenant_all ON runs (tenant_id, created_at DESC, id);
