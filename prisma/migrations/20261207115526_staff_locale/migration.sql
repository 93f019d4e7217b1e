-- CreateTable
CREATE TABLE "StaffLocale" (
    "shop" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffLocale_pkey" PRIMARY KEY ("shop","staffId")
);

