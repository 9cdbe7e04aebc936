-- The dispatcher console's run board lists a tenant's unfinished runs, newest first (GET /api/v1/runs?status=active).
CREATE INDEX runs_tenant_created ON runs (tenant_id, created_at DESC, id) WHERE status <> 'completed';
CREATE INDEX runs_tenant_all ON runs (tenant_id, created_at DESC, id);
