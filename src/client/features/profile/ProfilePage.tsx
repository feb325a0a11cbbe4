import { UserProfile } from "./UserProfile";

export function ProfilePage() {
  return (
    <>
      <title>Profile · Gantry</title>
      <h1>Your profile</h1>
      <UserProfile />
    </>
  );
}
