// The idle-timeout warning (templates/includes/session_timeout.html, WCAG 2.2.1). The page says how many seconds
// the session has left; shortly before the end this asks the server again (another tab may have kept the session
// alive; asking is not activity), then opens the dialog with focus on "Stay signed in". Pressing it, or Escape,
// posts to the keep-alive address, which is activity. At the end it asks once more, and the server, finding the
// session over, signs the person out and the sign-in page says why.
const dialog = document.querySelector("[data-session-timeout]");

if (dialog && typeof dialog.showModal === "function") {
  const keepAliveForm = dialog.querySelector("[data-keep-alive]");
  const countdown = dialog.querySelector("[data-countdown]");
  const statusUrl = dialog.dataset.statusUrl;
  const signInUrl = dialog.dataset.signInUrl;
  let timers = [];
  let deadline = 0;

  const clearTimers = () => {
    timers.forEach(clearTimeout);
    timers.forEach(clearInterval);
    timers = [];
  };

  const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

  const showCountdown = () => {
    const seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    countdown.textContent = [minutes ? plural(minutes, "minute") : "", rest || !minutes ? plural(rest, "second") : ""]
      .filter(Boolean)
      .join(" ");
  };

  const signedOut = () => {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`${signInUrl}?next=${encodeURIComponent(next)}`);
  };

  // A session that has ended answers a keep-alive with the sign-in page, not JSON.
  const readStatus = async (response) =>
    response.ok && (response.headers.get("Content-Type") || "").includes("json")
      ? response.json()
      : { signed_in: false };

  const askStatus = async () => {
    const response = await fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    return readStatus(response);
  };

  const schedule = (secondsLeft, warningSeconds) => {
    clearTimers();
    deadline = Date.now() + secondsLeft * 1000;
    timers.push(setTimeout(warnIfStillIdle, Math.max(0, secondsLeft - warningSeconds) * 1000));
  };

  const warnIfStillIdle = async () => {
    const status = await askStatus();
    if (!status.signed_in) return signedOut();
    if (status.seconds_left > status.warning_seconds + 5) return schedule(status.seconds_left, status.warning_seconds);
    deadline = Date.now() + status.seconds_left * 1000;
    showCountdown();
    if (!dialog.open) dialog.showModal();
    timers.push(setInterval(showCountdown, 1000));
    // A second after the end, so the server agrees the session is over.
    timers.push(setTimeout(endIfStillIdle, status.seconds_left * 1000 + 1000));
  };

  const endIfStillIdle = async () => {
    const status = await askStatus();
    if (status.signed_in && status.seconds_left > 0) {
      if (dialog.open) dialog.close();
      return schedule(status.seconds_left, status.warning_seconds);
    }
    signedOut();
  };

  const stay = async () => {
    const response = await fetch(keepAliveForm.action, {
      method: "POST",
      body: new FormData(keepAliveForm),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const status = await readStatus(response);
    if (!status.signed_in) return signedOut();
    dialog.close();
    schedule(status.seconds_left, status.warning_seconds);
  };

  keepAliveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });

  schedule(Number(dialog.dataset.secondsLeft), Number(dialog.dataset.warningSeconds));
}
