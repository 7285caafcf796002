-- CreateTable
CREATE TABLE "Area" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "parentId" TEXT,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RegistryEntity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "externalKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "address" TEXT,
    "inDifficulty" BOOLEAN NOT NULL DEFAULT false,
    "difficultyKind" TEXT,
    "sizeClass" TEXT,
    "aboveDesignatedSize" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "intakeKey" TEXT NOT NULL,
    "entityId" INTEGER,
    "areaId" TEXT NOT NULL,
    "cadreId" BIGINT NOT NULL,
    "cadreName" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "chatType" TEXT NOT NULL,
    "messageId" INTEGER,
    "visitedOn" TEXT NOT NULL,
    "place" TEXT,
    "metWith" TEXT,
    "heard" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "audioFileId" TEXT,
    "goals" TEXT NOT NULL,
    "extractor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "VisitProblem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "visitId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "ticketId" INTEGER,
    CONSTRAINT "VisitProblem_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SpotCheck" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "districtId" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "drawnBy" BIGINT NOT NULL,
    "inspectorId" BIGINT,
    "inspectorName" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SpotCheckItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "spotCheckId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "entityId" INTEGER NOT NULL,
    "outcome" TEXT,
    "note" TEXT,
    "recordedAt" DATETIME,
    CONSTRAINT "SpotCheckItem_spotCheckId_fkey" FOREIGN KEY ("spotCheckId") REFERENCES "SpotCheck" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Area_name_key" ON "Area"("name");

-- CreateIndex
CREATE INDEX "Area_parentId_idx" ON "Area"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "RegistryEntity_externalKey_key" ON "RegistryEntity"("externalKey");

-- CreateIndex
CREATE INDEX "RegistryEntity_areaId_kind_idx" ON "RegistryEntity"("areaId", "kind");

-- CreateIndex
CREATE INDEX "RegistryEntity_name_idx" ON "RegistryEntity"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Visit_intakeKey_key" ON "Visit"("intakeKey");

-- CreateIndex
CREATE INDEX "Visit_areaId_visitedOn_idx" ON "Visit"("areaId", "visitedOn");

-- CreateIndex
CREATE INDEX "Visit_entityId_visitedOn_idx" ON "Visit"("entityId", "visitedOn");

-- CreateIndex
CREATE INDEX "Visit_cadreId_visitedOn_idx" ON "Visit"("cadreId", "visitedOn");

-- CreateIndex
CREATE UNIQUE INDEX "VisitProblem_ticketId_key" ON "VisitProblem"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "VisitProblem_visitId_position_key" ON "VisitProblem"("visitId", "position");

-- CreateIndex
CREATE INDEX "SpotCheck_districtId_idx" ON "SpotCheck"("districtId");

-- CreateIndex
CREATE INDEX "SpotCheckItem_entityId_idx" ON "SpotCheckItem"("entityId");

-- CreateIndex
CREATE UNIQUE INDEX "SpotCheckItem_spotCheckId_position_key" ON "SpotCheckItem"("spotCheckId", "position");
