/**
 * Group commit for the inbox: deliveries that arrive while earlier ones are
 * being written go to the database together, in one statement and one
 * commit (receiveDeliveries), instead of one round trip and one commit each.
 *
 * At most WRITES_IN_FLIGHT statements run at once per database. A delivery
 * that finds a free slot is written at once, alone, so a quiet shop's
 * deliveries wait for nothing; one that finds both busy joins the next
 * statement, which leaves as soon as a slot frees. Under a burst the
 * statements grow (up to BATCH_MAX deliveries) and a delivery costs the
 * database less: each is acknowledged once its statement has committed, as
 * before. A statement that fails is retried one delivery at a time, so one
 * bad row cannot fail the deliveries it was grouped with.
 */
import type { PrismaClient } from "@prisma/client";
import { receiveDeliveries, type ReceivedDelivery, type StoredDelivery } from "./deliveries.server";

const WRITES_IN_FLIGHT = 2;
const BATCH_MAX = 100;

interface Waiting {
  delivery: ReceivedDelivery;
  resolve: (result: StoredDelivery) => void;
  reject: (error: unknown) => void;
}

class DeliveryGroupCommit {
  readonly #db: PrismaClient;
  readonly #waiting: Waiting[] = [];
  #inFlight = 0;

  constructor(db: PrismaClient) {
    this.#db = db;
  }

  store(delivery: ReceivedDelivery): Promise<StoredDelivery> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ delivery, resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    while (this.#inFlight < WRITES_IN_FLIGHT && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, BATCH_MAX);
      this.#inFlight++;
      void this.#write(batch).finally(() => {
        this.#inFlight--;
        this.#next();
      });
    }
  }

  async #write(batch: Waiting[]): Promise<void> {
    try {
      const results = await receiveDeliveries(
        this.#db,
        batch.map((w) => w.delivery),
      );
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const w of batch) {
        await receiveDeliveries(this.#db, [w.delivery]).then(([result]) => w.resolve(result!), w.reject);
      }
    }
  }
}

const writers = new WeakMap<PrismaClient, DeliveryGroupCommit>();

/** Stores a delivery in the inbox (receiveDelivery's answer), grouped with others arriving at the same time. */
export function storeDelivery(db: PrismaClient, delivery: ReceivedDelivery): Promise<StoredDelivery> {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new DeliveryGroupCommit(db)));
  return writer.store(delivery);
}
