-- A receipt now says what became of its entry: S, its events were stored; D, it was dead-lettered. Whichever
-- transaction records an entry's receipt first decides its fate, so an entry is never both stored and dead-lettered.
ALTER TABLE broker_receipts ADD COLUMN outcome CHAR(1) NOT NULL DEFAULT 'S';
-- Receipts below a stream's floor have been pruned: their entries were settled and acknowledged, so a consumer that
-- still holds one (it stalled while another took the entry over) records and counts nothing for it.
CREATE TABLE IF NOT EXISTS broker_receipt_floors (
    stream    VARCHAR(510) PRIMARY KEY,
    floor_ms  BIGINT NOT NULL
);
