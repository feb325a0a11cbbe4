import { useRef } from "react";
import { Link, NavLink } from "react-router";
import { useAuth } from "../../lib/session/useAuth";
import { ThemeToggle } from "../../ui/ThemeToggle";
import { UserMenu } from "../UserMenu";
import { AdminMenu } from "./AdminMenu";
import { adminItems, mainItems, visibleItems } from "./navItems";
import { useDisclosure } from "./useDisclosure";

/**
 * The header: on wide screens everything sits on one line; below the breakpoint (48rem, in
 * styles.css) a "Menu" button shows and hides the navigation, the account and the theme
 * toggle as a panel under the header, so no page is wider than a phone.
 */
export function SiteHeader() {
  const { status, can } = useAuth();
  const signedIn = status === "signedIn";
  const main = visibleItems(mainItems, signedIn, can);
  const admin = visibleItems(adminItems, signedIn, can);
  const root = useRef<HTMLElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const drawer = useDisclosure(root, button);
  return (
    <header className="app-header" ref={root} data-menu-open={drawer.open}>
      <Link to="/" className="brand">
        Gantry
      </Link>
      <button
        ref={button}
        type="button"
        className="menu-button"
        aria-expanded={drawer.open}
        aria-controls="site-menu"
        onClick={drawer.toggle}
      >
        <span aria-hidden="true">☰</span> Menu
      </button>
      <div id="site-menu" className="site-menu">
        <nav aria-label="Main" data-testid="app-nav">
          <ul>
            {main.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
            {admin.length > 0 ? <AdminMenu items={admin} /> : null}
          </ul>
        </nav>
        <UserMenu />
        <ThemeToggle />
      </div>
    </header>
  );
}
