-- A referrer's points name their way to earn, 'referral', as account created, birthday and the
-- earn rules' awards do (decision 0023), so Home's points for actions counts them. The entries
-- already written get it too. (The flows trigger counts an update as its old flows out and its
-- new ones in: no change.)
UPDATE "LedgerEntry" SET "action" = 'referral' WHERE kind = 'BONUS' AND "sourceKey" LIKE 'referral:%';
