/**
 * Thin HTTP client for the pantry inventory service.
 */

/** Base URL used when no explicit endpoint is configured. */
export const DEFAULT_BASE_URL = "http://localhost:8080/api";

/** An item as it travels over the wire. */
export interface ItemDto {
  name: string;
  qty: number;
  /** ISO date after which the item should not be eaten, if perishable. */
  bestBefore?: string;
}

/**
 * Fetch a URL and decode its JSON body.
 *
 * @param url absolute URL to request
 * @throws Error when the server answers with a non-2xx status
 */
export async function fetchJson(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) {
    throw new Error(`request to ${url} failed: ${response.status}`);
  }
  return response.json();
}

/** Client for the pantry REST API. */
export class PantryClient {
  constructor(protected readonly baseUrl: string = DEFAULT_BASE_URL) {}

  /** List every item currently stored. */
  async listItems(): Promise<ItemDto[]> {
    return (await fetchJson(`${this.baseUrl}/items`)) as ItemDto[];
  }

  /** Look up a single item by name. */
  async getItem(name: string): Promise<ItemDto> {
    const url = `${this.baseUrl}/items/${encodeURIComponent(name)}`;
    return (await fetchJson(url)) as ItemDto;
  }

  /** Add units of an item and return its new state. */
  async addItem(item: ItemDto): Promise<ItemDto> {
    const body = JSON.stringify(item);
    return (await fetchJson(`${this.baseUrl}/items`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    })) as ItemDto;
  }
}
