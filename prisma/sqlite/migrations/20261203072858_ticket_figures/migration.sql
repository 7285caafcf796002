-- AlterTable: columns added in place (no table rebuild), so a large ticket table migrates quickly.
ALTER TABLE "Ticket" ADD COLUMN "districtId" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "autoRouted" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Ticket" ADD COLUMN "firstAcceptedAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "firstResolvedAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "overdueAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "reworkCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Ticket" ADD COLUMN "extensionCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Ticket" ADD COLUMN "satisfaction" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "ratedAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "closedAt" DATETIME;

-- Backfill: the figures of existing tickets, from their events (read once here, never again by a report).
UPDATE "Ticket" SET
  "autoRouted" = EXISTS (SELECT 1 FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."type" = 'created' AND e."toStatus" = 'assigned'),
  "firstAcceptedAt" = (SELECT MIN(e."createdAt") FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."toStatus" IN ('accepted', 'in_progress')),
  "firstResolvedAt" = (SELECT MIN(e."createdAt") FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."toStatus" = 'resolved'),
  "reworkCount" = (SELECT COUNT(*) FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."fromStatus" = 'resolved' AND e."toStatus" = 'in_progress'),
  "extensionCount" = (SELECT COUNT(*) FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."type" = 'extension_approved'),
  "overdueAt" = (SELECT MIN(json_extract(e."data", '$.dueAt')) FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."type" = 'chase' AND json_extract(e."data", '$.step') IN ('overdue', 'escalation')),
  "closedAt" = (SELECT MAX(e."createdAt") FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."toStatus" = 'closed');
-- A chase event keeps its due time as JSON (ISO with Z); the client stores instants as +00:00.
UPDATE "Ticket" SET "overdueAt" = REPLACE("overdueAt", 'Z', '+00:00') WHERE "overdueAt" LIKE '%Z';
-- Resolved late without a 催办 step (the scheduler was off): the deadline passed unresolved all the same.
UPDATE "Ticket" SET "overdueAt" = "resolveDueAt" WHERE "overdueAt" IS NULL AND "resolveDueAt" IS NOT NULL AND "firstResolvedAt" > "resolveDueAt";
UPDATE "Ticket" SET
  "satisfaction" = (SELECT json_extract(e."data", '$.satisfaction') FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."fromStatus" = 'resolved' AND json_extract(e."data", '$.satisfaction') IS NOT NULL ORDER BY e."id" DESC LIMIT 1),
  "ratedAt" = (SELECT e."createdAt" FROM "TicketEvent" e WHERE e."ticketId" = "Ticket"."id" AND e."fromStatus" = 'resolved' AND json_extract(e."data", '$.satisfaction') IS NOT NULL ORDER BY e."id" DESC LIMIT 1)
WHERE "status" IN ('closed', 'in_progress', 'resolved') AND "firstResolvedAt" IS NOT NULL;
-- The district of the ticket's area: the ancestor of level 'district' in the area tree.
WITH RECURSIVE "chain"("areaId", "ancestorId", "level", "parentId") AS (
  SELECT a."id", a."id", a."level", a."parentId" FROM "Area" a
  UNION ALL
  SELECT c."areaId", p."id", p."level", p."parentId" FROM "chain" c JOIN "Area" p ON p."id" = c."parentId"
)
UPDATE "Ticket" SET "districtId" = (
  SELECT c."ancestorId" FROM "chain" c JOIN "Area" a ON a."id" = c."areaId"
  WHERE a."name" = "Ticket"."areaName" AND c."level" = 'district' LIMIT 1
) WHERE "areaName" IS NOT NULL;

-- DropIndex: each is the prefix of a new one below.
DROP INDEX "Ticket_createdAt_idx";
DROP INDEX "Ticket_departmentId_status_idx";
DROP INDEX "Ticket_status_idx";
DROP INDEX "Ticket_status_resolveDueAt_idx";

-- CreateIndex
CREATE INDEX "Ticket_createdAt_districtId_departmentId_idx" ON "Ticket"("createdAt", "districtId", "departmentId");
CREATE INDEX "Ticket_status_createdAt_idx" ON "Ticket"("status", "createdAt");
CREATE INDEX "Ticket_departmentId_status_createdAt_idx" ON "Ticket"("departmentId", "status", "createdAt");
CREATE INDEX "Ticket_status_resolveDueAt_departmentId_id_idx" ON "Ticket"("status", "resolveDueAt", "departmentId", "id");
CREATE INDEX "Ticket_acceptDueAt_districtId_departmentId_firstAcceptedAt_idx" ON "Ticket"("acceptDueAt", "districtId", "departmentId", "firstAcceptedAt");
CREATE INDEX "Ticket_resolveDueAt_districtId_departmentId_firstResolvedAt_idx" ON "Ticket"("resolveDueAt", "districtId", "departmentId", "firstResolvedAt");
CREATE INDEX "Ticket_overdueAt_districtId_departmentId_idx" ON "Ticket"("overdueAt", "districtId", "departmentId");
CREATE INDEX "Ticket_firstResolvedAt_districtId_departmentId_reworkCount_idx" ON "Ticket"("firstResolvedAt", "districtId", "departmentId", "reworkCount");
CREATE INDEX "Ticket_ratedAt_districtId_departmentId_satisfaction_idx" ON "Ticket"("ratedAt", "districtId", "departmentId", "satisfaction");
CREATE INDEX "TicketEvent_type_createdAt_idx" ON "TicketEvent"("type", "createdAt");
