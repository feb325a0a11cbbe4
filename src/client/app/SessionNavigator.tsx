import { useEffect, useRef } from "react";
import { useLocation, useNavigate } from "react-router";
import { loginPathFor } from "../lib/routing/nextPath";
import { noticeDismissed, selectSessionNotice } from "../lib/session/sessionSlice";
import { useAppDispatch, useAppSelector } from "../lib/store/hooks";

/**
 * When the server ends the session (disabled, signed out elsewhere, expired), go to the
 * sign-in page from whatever page was open; the page shows the notice from the store.
 * Once the user moves on from the sign-in page, the notice has served its purpose.
 */
export function SessionNavigator() {
  const notice = useAppSelector(selectSessionNotice);
  const location = useLocation();
  const navigate = useNavigate();
  const dispatch = useAppDispatch();
  const previousPath = useRef(location.pathname);

  useEffect(() => {
    const leftLogin = previousPath.current === "/login" && location.pathname !== "/login";
    previousPath.current = location.pathname;
    if (notice === null || location.pathname === "/login") return;
    if (leftLogin) dispatch(noticeDismissed());
    else navigate(loginPathFor(location), { replace: true });
  }, [notice, location, navigate, dispatch]);
  return null;
}
