-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "acceptChaseLevel" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "supervisedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Ticket_status_acceptChaseLevel_acceptDueAt_idx" ON "Ticket"("status", "acceptChaseLevel", "acceptDueAt");
