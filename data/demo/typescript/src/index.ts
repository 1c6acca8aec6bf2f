/**
 * Entry point for the pantry web dashboard.
 */
import { ItemDto, PantryClient } from "./api";

/** A client that remembers item lookups for a fixed time. */
export class CachedClient extends PantryClient {
  private readonly cache = new Map<string, { at: number; item: ItemDto }>();

  constructor(baseUrl?: string, private readonly ttlMs: number = 30_000) {
    super(baseUrl);
  }

  /** Return a cached item if it is fresh, otherwise ask the server. */
  override async getItem(name: string): Promise<ItemDto> {
    const hit = this.cache.get(name);
    if (hit && Date.now() - hit.at < this.ttlMs) {
      return hit.item;
    }
    const item = await super.getItem(name);
    this.cache.set(name, { at: Date.now(), item });
    return item;
  }

  /** Forget everything cached so far. */
  clear(): void {
    this.cache.clear();
  }
}

/** Names of the items that are running low (fewer than `threshold` units). */
export async function lowStock(client: PantryClient, threshold = 2): Promise<string[]> {
  const items = await client.listItems();
  return items.filter((item) => item.qty < threshold).map((item) => item.name);
}

async function main(): Promise<void> {
  const client = new CachedClient();
  const names = await lowStock(client);
  console.log(names.length ? `running low: ${names.join(", ")}` : "all stocked");
}

main().catch((err) => {
  console.error(err);
});
