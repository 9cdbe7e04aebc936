// Short-lived notices in a corner: new orders, low stock. At most a handful at once, the oldest goes first.

const MAX = 5;
const LIFETIME_MS = 8000;

export class Toasts {
  constructor(element) {
    this.element = element;
  }

  show(kind, title, text) {
    const toast = document.createElement('div');
    toast.className = 'toast';
    toast.dataset.kind = kind;
    const strong = document.createElement('strong');
    strong.textContent = title;
    const body = document.createElement('span');
    body.textContent = text;
    toast.append(strong, body);
    this.element.append(toast);
    while (this.element.children.length > MAX) this.element.firstElementChild.remove();
    setTimeout(() => toast.remove(), LIFETIME_MS);
  }
}
