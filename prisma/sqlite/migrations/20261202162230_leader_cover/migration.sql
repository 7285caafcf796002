-- CreateTable
CREATE TABLE "LeaderCover" (
    "areaId" TEXT NOT NULL,
    "leaderId" BIGINT NOT NULL,
    "leaderName" TEXT NOT NULL,
    "since" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("areaId", "leaderId")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Area" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "parentId" TEXT,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "seriousPetitions" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Area" ("id", "level", "name", "parentId", "sortOrder", "updatedAt") SELECT "id", "level", "name", "parentId", "sortOrder", "updatedAt" FROM "Area";
DROP TABLE "Area";
ALTER TABLE "new_Area" RENAME TO "Area";
CREATE UNIQUE INDEX "Area_name_key" ON "Area"("name");
CREATE INDEX "Area_parentId_idx" ON "Area"("parentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
