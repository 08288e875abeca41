"""The hub staff console at /console/: each hub's badges issued, bulk-issued, followed, revoked and
exported by its owners, editors and staff, as badges.permissions allows, and by nobody else."""
