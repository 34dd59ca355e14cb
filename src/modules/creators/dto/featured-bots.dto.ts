import { ArrayMaxSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';

/** `PUT /creators/{username}/featured-bots`: the whole ordered showcase (≤6 of the profile user's public bots). */
export class PutFeaturedBotsDto {
  /** Bot ids in display order. */
  @IsArray() @ArrayMaxSize(6) @ArrayUnique() @IsUUID('all', { each: true }) bot_ids!: string[];
}
