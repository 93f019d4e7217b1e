/**
 * A polling loop's idle wait: `take(ms)` waits up to `ms`, and `wake()` ends
 * it at once. A wake that comes while the loop is busy (not waiting) is kept,
 * so the next wait returns at once instead of sleeping through the work.
 */
export class Nap {
  private wakeUp: (() => void) | null = null;
  private woken = false;

  async take(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = null;
    this.woken = false;
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}
