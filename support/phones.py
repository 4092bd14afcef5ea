"""Phone numbers as Turks write them."""


def display_phone(number: str) -> str:
    """+902163950000 → 0216 395 00 00; anything not a Turkish ten-digit number is returned as given."""
    digits = "".join(char for char in number if char.isdigit())
    if digits.startswith("90") and len(digits) == 12:
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == 11:
        digits = digits[1:]
    if len(digits) != 10:
        return number
    return f"0{digits[:3]} {digits[3:6]} {digits[6:8]} {digits[8:]}"
