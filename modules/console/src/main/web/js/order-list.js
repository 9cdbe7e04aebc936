// The tenant's latest orders with their live status; a changed row flashes. Bounded: the oldest fall off.

import { flash } from './run-board.js';

const MAX_ORDERS = 200;

export class OrderList {
  constructor(list, counter) {
    this.list = list;
    this.counter = counter;
    this.orders = new Map();
  }

  /** Orders from GET /api/v1/orders (newest first), merged with what events already showed. */
  load(orders) {
    [...orders].reverse().forEach(o => this.apply(o));
  }

  clear() {
    this.orders.clear();
    this.list.replaceChildren();
  }

  /** An order as an event or the API shows it; returns false for an older version than the one shown. */
  apply(order, { deleted = false } = {}) {
    const shown = this.orders.get(order.id);
    if (shown && shown.version > order.version) return false;
    let row = this.list.querySelector(`li[data-order-id="${CSS.escape(order.id)}"]`);
    if (deleted) {
      this.orders.delete(order.id);
      row?.remove();
      this.#count();
      return true;
    }
    this.orders.set(order.id, order);
    if (!row) {
      row = document.createElement('li');
      row.dataset.orderId = order.id;
      const name = document.createElement('span');
      name.className = 'name';
      const status = document.createElement('span');
      status.className = 'pill status';
      row.append(name, status);
      this.list.prepend(row);
      while (this.list.children.length > MAX_ORDERS) {
        this.orders.delete(this.list.lastElementChild.dataset.orderId);
        this.list.lastElementChild.remove();
      }
    } else if (shown.status !== order.status) {
      flash(row);
    }
    row.querySelector('.name').textContent = `#${order.number ?? order.id} · ${order.customerEmail || order.customerId || ''}`;
    const status = row.querySelector('.status');
    status.textContent = order.status.replace('_', ' ');
    status.dataset.status = order.status;
    this.#count();
    return true;
  }

  #count() {
    this.counter.textContent = `${this.orders.size} shown`;
  }
}
