-- CreateTable
CREATE TABLE "Area" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "parentId" TEXT,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Area_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistryEntity" (
    "id" SERIAL NOT NULL,
    "externalKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "address" TEXT,
    "inDifficulty" BOOLEAN NOT NULL DEFAULT false,
    "difficultyKind" TEXT,
    "sizeClass" TEXT,
    "aboveDesignatedSize" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RegistryEntity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VisitProblem" (
    "id" SERIAL NOT NULL,
    "visitId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "ticketId" INTEGER,

    CONSTRAINT "VisitProblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpotCheck" (
    "id" SERIAL NOT NULL,
    "districtId" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "drawnBy" BIGINT NOT NULL,
    "inspectorId" BIGINT,
    "inspectorName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpotCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpotCheckItem" (
    "id" SERIAL NOT NULL,
    "spotCheckId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "entityId" INTEGER NOT NULL,
    "outcome" TEXT,
    "note" TEXT,
    "recordedAt" TIMESTAMP(3),

    CONSTRAINT "SpotCheckItem_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "VisitProblem" ADD CONSTRAINT "VisitProblem_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpotCheckItem" ADD CONSTRAINT "SpotCheckItem_spotCheckId_fkey" FOREIGN KEY ("spotCheckId") REFERENCES "SpotCheck"("id") ON DELETE CASCADE ON UPDATE CASCADE;
