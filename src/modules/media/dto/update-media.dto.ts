import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class UpdateMediaDto {
  /** New accessibility text, 1–500 characters after trimming. */
  @Transform(trim) @IsString() @Length(1, 500) alt_text!: string;
}
