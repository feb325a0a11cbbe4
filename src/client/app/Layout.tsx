import { Outlet } from "react-router";
import { VerifyEmailBanner } from "../features/account";
import { ActivityWatchers, Toasts } from "../features/activity";
import { SiteHeader } from "./navigation/SiteHeader";
import { useFocusHeadingOnNavigate } from "./navigation/useFocusHeadingOnNavigate";
import { SessionNavigator } from "./SessionNavigator";

export function Layout() {
  useFocusHeadingOnNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SessionNavigator />
      <SiteHeader />
      {/* tabIndex lets the skip link move keyboard focus here. */}
      <main id="main" tabIndex={-1}>
        <VerifyEmailBanner />
        <Outlet />
      </main>
      <Toasts />
      <ActivityWatchers />
    </>
  );
}
