-- CreateTable
CREATE TABLE "RoutingCorrection" (
    "ticketId" INTEGER NOT NULL,
    "classifier" TEXT NOT NULL,
    "classifiedCategoryId" TEXT,
    "classifiedDepartmentId" TEXT,
    "firstRouteAutomatic" BOOLEAN NOT NULL,
    "finalCategoryId" TEXT NOT NULL,
    "finalDepartmentId" TEXT NOT NULL,
    "overturned" BOOLEAN NOT NULL,
    "action" TEXT NOT NULL,
    "actorId" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingCorrection_pkey" PRIMARY KEY ("ticketId")
);

-- CreateIndex
CREATE INDEX "RoutingCorrection_updatedAt_idx" ON "RoutingCorrection"("updatedAt");

-- AddForeignKey
ALTER TABLE "RoutingCorrection" ADD CONSTRAINT "RoutingCorrection_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
