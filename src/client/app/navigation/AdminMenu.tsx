import { useId, useRef } from "react";
import { NavLink, useLocation } from "react-router";
import type { NavItem } from "./navItems";
import { useDisclosure } from "./useDisclosure";

/**
 * The administration pages behind one "Admin" button (a disclosure, not an ARIA menu: the
 * entries are ordinary links, reached with Tab). On wide screens the list drops down; inside
 * the phone drawer it opens in place.
 */
export function AdminMenu({ items }: { items: readonly NavItem[] }) {
  const root = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const { open, toggle } = useDisclosure(root, button);
  const listId = useId();
  const { pathname } = useLocation();
  const inside = items.some((item) => pathname.startsWith(item.to));
  return (
    <li className="admin-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="nav-disclosure"
        aria-expanded={open}
        aria-controls={listId}
        data-current={inside}
        onClick={toggle}
      >
        Admin <span aria-hidden="true">▾</span>
      </button>
      <ul id={listId} className="admin-menu-list" hidden={!open}>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to}>{item.label}</NavLink>
          </li>
        ))}
      </ul>
    </li>
  );
}
