-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "followerCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "mergedIntoId" INTEGER,
ADD COLUMN     "statusBeforeMerge" TEXT;

-- CreateTable
CREATE TABLE "TicketFollower" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "residentId" BIGINT NOT NULL,
    "residentName" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "chatType" TEXT NOT NULL,
    "messageId" INTEGER,
    "replyPrivately" BOOLEAN NOT NULL DEFAULT false,
    "viaTicketId" INTEGER,
    "reportedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketFollower_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TicketFollower_viaTicketId_idx" ON "TicketFollower"("viaTicketId");

-- CreateIndex
CREATE INDEX "TicketFollower_reportedAt_idx" ON "TicketFollower"("reportedAt");

-- CreateIndex
CREATE UNIQUE INDEX "TicketFollower_ticketId_residentId_key" ON "TicketFollower"("ticketId", "residentId");

-- CreateIndex
CREATE INDEX "Ticket_mergedIntoId_idx" ON "Ticket"("mergedIntoId");

-- CreateIndex
CREATE INDEX "Ticket_categoryId_status_createdAt_idx" ON "Ticket"("categoryId", "status", "createdAt");

-- AddForeignKey
ALTER TABLE "TicketFollower" ADD CONSTRAINT "TicketFollower_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
