/** What other features and the shell use of background-work toasts. */
export { ActivityWatchers } from "./ActivityWatchers";
export { watchActivity } from "./activityStore";
export { Toasts } from "./Toasts";
