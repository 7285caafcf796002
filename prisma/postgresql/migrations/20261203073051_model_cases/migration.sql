-- CreateTable
CREATE TABLE "ModelCase" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "ticketId" INTEGER,
    "visitId" INTEGER,
    "reason" TEXT NOT NULL,
    "markedBy" BIGINT NOT NULL,
    "markedName" TEXT NOT NULL,
    "markedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelCase_ticketId_key" ON "ModelCase"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelCase_visitId_key" ON "ModelCase"("visitId");

-- CreateIndex
CREATE INDEX "ModelCase_markedAt_idx" ON "ModelCase"("markedAt");
