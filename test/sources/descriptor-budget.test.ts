import { describe, expect, it } from 'vitest';
import { DescriptorBudget } from '../../src/sources/descriptor-budget.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('DescriptorBudget', () => {
  it('grants slots up to the limit, then makes opens wait until one is released, in order', async () => {
    const budget = new DescriptorBudget(2, () => false);
    await budget.reserve();
    await budget.reserve();
    const order: string[] = [];
    void budget.reserve().then(() => order.push('a'));
    void budget.reserve().then(() => order.push('b'));
    await tick();
    expect(order).toEqual([]);
    expect(budget.hasWaiters).toBe(true);
    budget.release();
    await tick();
    expect(order).toEqual(['a']);
    budget.release();
    await tick();
    expect(order).toEqual(['a', 'b']);
    expect(budget.hasWaiters).toBe(false);
  });

  it('evicts an idle file instead of waiting when it can', async () => {
    let idle = 1;
    const budget = new DescriptorBudget(1, () => {
      if (idle === 0) return false;
      idle--;
      budget.freed();
      return true;
    });
    await budget.reserve();
    await budget.reserve(); // the idle file made room
    let granted = false;
    void budget.reserve().then(() => (granted = true));
    await tick();
    expect(granted).toBe(false);
  });

  it('shrinks to three quarters of what is open on EMFILE (at least 8), and lets everyone through when stopping', async () => {
    const budget = new DescriptorBudget(100, () => false);
    for (let i = 0; i < 40; i++) await budget.reserve();
    expect(budget.shrink()).toBe(30);
    let granted = false;
    void budget.reserve().then(() => (granted = true));
    await tick();
    expect(granted).toBe(false);
    budget.unlimit();
    await tick();
    expect(granted).toBe(true);
    expect(new DescriptorBudget(100, () => false).shrink()).toBe(8);
  });
});
