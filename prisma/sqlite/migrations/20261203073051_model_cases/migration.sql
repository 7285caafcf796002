-- CreateTable
CREATE TABLE "ModelCase" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "ticketId" INTEGER,
    "visitId" INTEGER,
    "reason" TEXT NOT NULL,
    "markedBy" BIGINT NOT NULL,
    "markedName" TEXT NOT NULL,
    "markedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelCase_ticketId_key" ON "ModelCase"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelCase_visitId_key" ON "ModelCase"("visitId");

-- CreateIndex
CREATE INDEX "ModelCase_markedAt_idx" ON "ModelCase"("markedAt");
