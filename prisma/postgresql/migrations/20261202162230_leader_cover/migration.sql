-- AlterTable
ALTER TABLE "Area" ADD COLUMN     "seriousPetitions" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "LeaderCover" (
    "areaId" TEXT NOT NULL,
    "leaderId" BIGINT NOT NULL,
    "leaderName" TEXT NOT NULL,
    "since" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeaderCover_pkey" PRIMARY KEY ("areaId","leaderId")
);
