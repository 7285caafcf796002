-- CreateTable
CREATE TABLE "RoutingCorrection" (
    "ticketId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "classifier" TEXT NOT NULL,
    "classifiedCategoryId" TEXT,
    "classifiedDepartmentId" TEXT,
    "firstRouteAutomatic" BOOLEAN NOT NULL,
    "finalCategoryId" TEXT NOT NULL,
    "finalDepartmentId" TEXT NOT NULL,
    "overturned" BOOLEAN NOT NULL,
    "action" TEXT NOT NULL,
    "actorId" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoutingCorrection_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RoutingCorrection_updatedAt_idx" ON "RoutingCorrection"("updatedAt");
