// Flashcards by keyboard: Space shows the answer, 1-4 rate the card. Without this file the
// page works the same with Tab, Enter and Space on the "Show the answer" summary.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const answer = document.querySelector("[data-flashcard-answer]");
  if (!answer) return;
  if (event.key === " " && !answer.open && target.tagName !== "SUMMARY" && target.tagName !== "BUTTON") {
    event.preventDefault();
    answer.open = true;
    answer.querySelector("[data-rating='3']")?.focus();
  } else if (answer.open && ["1", "2", "3", "4"].includes(event.key)) {
    event.preventDefault();
    answer.querySelector(`[data-rating='${event.key}']`)?.click();
  }
});
