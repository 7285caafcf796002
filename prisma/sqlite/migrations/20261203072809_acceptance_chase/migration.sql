-- AlterTable: columns added in place (no table rebuild), so a large ticket table migrates quickly.
ALTER TABLE "Ticket" ADD COLUMN "acceptChaseLevel" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Ticket" ADD COLUMN "supervisedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Ticket_status_acceptChaseLevel_acceptDueAt_idx" ON "Ticket"("status", "acceptChaseLevel", "acceptDueAt");
