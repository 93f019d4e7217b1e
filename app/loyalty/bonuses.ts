/** Birthday bonus rules (the account-created bonus is once per customer). */

export interface Birthday {
  month: number; // 1-12
  day: number; // 1-31
}

/** The member's birthday in a given year (29 February falls on the 28th in other years), UTC. */
function birthdayIn(year: number, birthday: Birthday): Date {
  const lastDay = new Date(Date.UTC(year, birthday.month, 0)).getUTCDate();
  return new Date(Date.UTC(year, birthday.month - 1, Math.min(birthday.day, lastDay)));
}

const BIRTHDAY_NOTICE_DAYS = 30;

/**
 * The year whose birthday bonus is due today, or null. Once a year, on or
 * after the birthday; a birthday set less than 30 days before it earns
 * nothing that year (so nobody sets tomorrow as their birthday).
 */
export function birthdayBonusYear(input: {
  birthday: Birthday | null;
  setAt: Date | null;
  lastAwardedYear: number | null;
  today: Date;
}): number | null {
  const { birthday, setAt, lastAwardedYear, today } = input;
  if (!birthday || !setAt) return null;
  const year = today.getUTCFullYear();
  if (lastAwardedYear !== null && lastAwardedYear >= year) return null;
  const date = birthdayIn(year, birthday);
  if (today < date) return null;
  const noticeDeadline = new Date(date.getTime() - BIRTHDAY_NOTICE_DAYS * 86_400_000);
  if (setAt > noticeDeadline) return null;
  return year;
}

export function isValidBirthday(birthday: Birthday): boolean {
  if (!Number.isInteger(birthday.month) || birthday.month < 1 || birthday.month > 12) return false;
  const maxDay = new Date(Date.UTC(2024, birthday.month, 0)).getUTCDate(); // leap year allows 29 Feb
  return Number.isInteger(birthday.day) && birthday.day >= 1 && birthday.day <= maxDay;
}
