import { ValidateBy, type ValidationOptions } from 'class-validator';
import { BusinessDate } from '#libs/ddd/index.js';

/**
 * A business date as SPEC §1 reads one: exactly `YYYY-MM-DD`, a real calendar date, in the years
 * 2000–2100 (BusinessDate.tryParse, the one reading), never reinterpreted.
 */
export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBusinessDate',
      validator: {
        validate: (value: unknown) => BusinessDate.tryParse(value) !== undefined,
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a real calendar date YYYY-MM-DD in 2000–2100`,
      },
    },
    options,
  );
}
