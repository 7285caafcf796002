-- CreateTable
CREATE TABLE "CoverageEntityCount" (
    "areaId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "registered" INTEGER NOT NULL,
    "priority" INTEGER NOT NULL,

    CONSTRAINT "CoverageEntityCount_pkey" PRIMARY KEY ("areaId","kind")
);

-- CreateTable
CREATE TABLE "CoverageVisitedCount" (
    "areaId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "visited" INTEGER NOT NULL,
    "priorityVisited" INTEGER NOT NULL,

    CONSTRAINT "CoverageVisitedCount_pkey" PRIMARY KEY ("areaId","kind","bucket")
);

-- CreateTable
CREATE TABLE "CoverageVisitCount" (
    "areaId" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "visits" INTEGER NOT NULL,
    "problems" INTEGER NOT NULL,

    CONSTRAINT "CoverageVisitCount_pkey" PRIMARY KEY ("areaId","bucket")
);

-- Backfill the summary from the rows already stored
INSERT INTO "CoverageEntityCount" ("areaId", "kind", "registered", "priority")
    SELECT e."areaId", e."kind", COUNT(*), SUM(CASE WHEN e."inDifficulty" OR e."aboveDesignatedSize" THEN 1 ELSE 0 END) FROM "RegistryEntity" e GROUP BY e."areaId", e."kind";

INSERT INTO "CoverageVisitedCount" ("areaId", "kind", "bucket", "visited", "priorityVisited")
    SELECT e."areaId", e."kind", b."bucket", COUNT(*), SUM(CASE WHEN e."inDifficulty" OR e."aboveDesignatedSize" THEN 1 ELSE 0 END)
    FROM "RegistryEntity" e JOIN (SELECT DISTINCT "entityId", CAST('' AS TEXT) AS "bucket" FROM "Visit" WHERE "entityId" IS NOT NULL  UNION ALL SELECT DISTINCT "entityId", SUBSTR("visitedOn", 1, 4) AS "bucket" FROM "Visit" WHERE "entityId" IS NOT NULL  UNION ALL SELECT DISTINCT "entityId", SUBSTR("visitedOn", 1, 7) AS "bucket" FROM "Visit" WHERE "entityId" IS NOT NULL ) b ON b."entityId" = e."id"
    GROUP BY e."areaId", e."kind", b."bucket";

INSERT INTO "CoverageVisitCount" ("areaId", "bucket", "visits", "problems")
    SELECT v."areaId", b."bucket", COUNT(*), SUM(COALESCE(pr."n", 0))
    FROM "Visit" v
    JOIN (SELECT "id", CAST('' AS TEXT) AS "bucket" FROM "Visit" UNION ALL SELECT "id", SUBSTR("visitedOn", 1, 4) FROM "Visit"
    UNION ALL SELECT "id", SUBSTR("visitedOn", 1, 7) FROM "Visit") b ON b."id" = v."id"
    LEFT JOIN (SELECT "visitId", COUNT(*) AS "n" FROM "VisitProblem" GROUP BY "visitId") pr ON pr."visitId" = v."id"
    GROUP BY v."areaId", b."bucket";

