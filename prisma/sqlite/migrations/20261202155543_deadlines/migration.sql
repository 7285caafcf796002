-- AlterTable: columns added in place (no table rebuild), so a large ticket table migrates quickly.
ALTER TABLE "Ticket" ADD COLUMN "acceptDueAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "resolveDueAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "chaseLevel" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Ticket" ADD COLUMN "extensionRequestId" INTEGER;
ALTER TABLE "Ticket" ADD COLUMN "resolvedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Ticket_status_resolveDueAt_idx" ON "Ticket"("status", "resolveDueAt");

-- CreateIndex
CREATE INDEX "Ticket_status_chaseLevel_resolveDueAt_idx" ON "Ticket"("status", "chaseLevel", "resolveDueAt");

-- CreateIndex
CREATE INDEX "Ticket_status_resolvedAt_idx" ON "Ticket"("status", "resolvedAt");
