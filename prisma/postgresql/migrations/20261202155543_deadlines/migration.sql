-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "acceptDueAt" TIMESTAMP(3),
ADD COLUMN     "chaseLevel" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "extensionRequestId" INTEGER,
ADD COLUMN     "resolveDueAt" TIMESTAMP(3),
ADD COLUMN     "resolvedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Ticket_status_resolveDueAt_idx" ON "Ticket"("status", "resolveDueAt");

-- CreateIndex
CREATE INDEX "Ticket_status_chaseLevel_resolveDueAt_idx" ON "Ticket"("status", "chaseLevel", "resolveDueAt");

-- CreateIndex
CREATE INDEX "Ticket_status_resolvedAt_idx" ON "Ticket"("status", "resolvedAt");
