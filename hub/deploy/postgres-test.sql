-- The role and database the hub's tests use on PostgreSQL (`make test-postgres`), run as the postgres
-- superuser: psql -v ON_ERROR_STOP=1 -f hub/deploy/postgres-test.sql
-- CREATEDB: pytest-django makes its own throw-away database (test_qsec_hub_test) from this role.
SELECT 'CREATE ROLE qsec_hub_test LOGIN CREATEDB PASSWORD ''qsec_hub_test'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qsec_hub_test') \gexec
SELECT 'CREATE DATABASE qsec_hub_test OWNER qsec_hub_test'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'qsec_hub_test') \gexec
