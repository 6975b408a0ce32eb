/** A per-user pause between questions, so one person cannot keep the embedder busy for everyone. */
export class Cooldown {
  private readonly readyAt = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * 0 when `userId` may ask now (and their pause starts), otherwise the whole seconds left to wait.
   */
  take(userId: string): number {
    if (this.seconds <= 0) return 0;
    const now = this.now();
    const readyAt = this.readyAt.get(userId) ?? 0;
    if (readyAt > now) return Math.ceil((readyAt - now) / 1000);
    this.readyAt.set(userId, now + this.seconds * 1000);
    if (this.readyAt.size > 1000) this.prune(now);
    return 0;
  }

  /** Gives a turn back: the question was refused before anything was searched. */
  release(userId: string): void {
    this.readyAt.delete(userId);
  }

  /** Forgets users whose pause is over, so the map stays small. */
  private prune(now: number): void {
    for (const [user, readyAt] of this.readyAt) if (readyAt <= now) this.readyAt.delete(user);
  }
}
